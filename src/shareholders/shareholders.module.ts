import { Module } from '@nestjs/common';
import { fieldCipherProvider } from '../core/crypto/field-cipher.provider';
import { HolderAccess } from './holder-access';
import { OwnShareholderResolver } from './own-shareholder.resolver';
import { ShareholderChangeRecorder } from './shareholder-change-recorder';
import { ShareholderVault } from './shareholder-vault.service';
import { ShareholdersController } from './shareholders.controller';
import { ShareholdersRepository } from './shareholders.repository';
import { ShareholdersService } from './shareholders.service';

@Module({
  controllers: [ShareholdersController],
  providers: [
    fieldCipherProvider,
    ShareholdersRepository,
    ShareholderVault,
    ShareholderChangeRecorder,
    OwnShareholderResolver,
    HolderAccess,
    ShareholdersService,
  ],
  exports: [ShareholdersService, HolderAccess],
})
export class ShareholdersModule {}
