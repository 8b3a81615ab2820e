import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString } from 'class-validator';
import { MaxChars } from '../../http/validators';

export class TokenRequestDto {
  @ApiProperty({ example: 'admin', maxLength: 255 })
  @IsString()
  @IsNotEmpty()
  @MaxChars(255)
  username!: string;

  @ApiProperty({ example: 'adminpass', maxLength: 1024, format: 'password' })
  @IsString()
  @IsNotEmpty()
  @MaxChars(1024)
  password!: string;
}

export class TokenResponseDto {
  @ApiProperty({ description: 'A Keycloak access token (JWT) for the Authorization header.' })
  access_token!: string;

  @ApiProperty({ example: 'bearer', enum: ['bearer'] })
  token_type!: 'bearer';

  @ApiProperty({ example: 300, description: 'Lifetime of the access token in seconds.' })
  expires_in!: number;
}

export class PrincipalDto {
  @ApiProperty({ example: '5b0c1e0e-2f53-4b1c-9d6f-0b8c1a1d1f11' })
  sub!: string;

  @ApiProperty({ example: 'admin' })
  username!: string;

  @ApiProperty({ example: 'admin@example.com', required: false })
  email?: string;

  @ApiProperty({ example: ['admin'], isArray: true, enum: ['admin', 'auditor', 'shareholder'] })
  roles!: string[];

  @ApiProperty({ example: 'corporate-os-cli', description: 'The client the token was issued to.' })
  client_id!: string;

  @ApiProperty({ example: false })
  service_account!: boolean;
}
