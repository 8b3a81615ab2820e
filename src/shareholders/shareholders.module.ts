import { Module } from '@nestjs/common';
import { fieldCipherProvider } from '../core/crypto/field-cipher.provider';
import { OwnShareholderResolver } from './own-shareholder.resolver';
import { ShareholderChangeRecorder } from './shareholder-change-recorder';
import { ShareholderVault } from './shareholder-vault.service';
import { ShareholdersController } from './shareholders.controller';
import { ShareholdersService } from './shareholders.service';

@Module({
  controllers: [ShareholdersController],
  providers: [
    fieldCipherProvider,
    ShareholderVault,
    ShareholderChangeRecorder,
    OwnShareholderResolver,
    ShareholdersService,
  ],
  exports: [ShareholdersService],
})
export class ShareholdersModule {}
