import { AppConfigService } from '../config/app-config.service';
import { FieldCipher, parseKeyRing } from './field-cipher';

export const fieldCipherProvider = {
  provide: FieldCipher,
  inject: [AppConfigService],
  useFactory: (config: AppConfigService): FieldCipher =>
    new FieldCipher(
      parseKeyRing(config.get('ENCRYPTION_KEYS'), config.get('ENCRYPTION_ACTIVE_KEY_ID')),
    ),
};
