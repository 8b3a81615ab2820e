import { Injectable } from '@nestjs/common';
import { FieldCipher } from '../core/crypto/field-cipher';
import type { Shareholder } from './shareholder.entity';
import type { SensitiveFields } from './shareholder-profile';

const aad = (shareholderId: string, field: string): string =>
  `shareholder.${field}.${shareholderId}`;

/** Encrypts and decrypts the sensitive fields of a shareholder record. */
@Injectable()
export class ShareholderVault {
  constructor(private readonly cipher: FieldCipher) {}

  reveal(shareholder: Shareholder): SensitiveFields {
    const open = (value: string | null, field: string) =>
      value === null ? null : this.cipher.decrypt(value, aad(shareholder.id, field));
    return {
      phone: open(shareholder.phoneEnc, 'phone'),
      address: open(shareholder.addressEnc, 'address'),
      tax_id: open(shareholder.taxIdEnc, 'tax_id'),
    };
  }

  seal(
    shareholderId: string,
    values: SensitiveFields,
  ): Pick<Shareholder, 'phoneEnc' | 'addressEnc' | 'taxIdEnc'> {
    const close = (value: string | null, field: string) =>
      value === null ? null : this.cipher.encrypt(value, aad(shareholderId, field));
    return {
      phoneEnc: close(values.phone, 'phone'),
      addressEnc: close(values.address, 'address'),
      taxIdEnc: close(values.tax_id, 'tax_id'),
    };
  }
}
