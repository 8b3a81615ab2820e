/** The shareholders module's public surface: what other modules may import. */
export { ShareholdersModule } from './shareholders.module';
export { ShareholdersService } from './shareholders.service';
export { HOLDER_DIRECTORY_SQL, type ExportHolderRow } from './shareholders.repository';
export { HolderAccess, type HolderScope } from './holder-access';
export { SHAREHOLDER_HOLDINGS, type ShareholderHoldingsReader } from './shareholder-holdings.port';
export {
  ShareholderEmailTakenError,
  ShareholderNotFoundError,
  ShareholderUserTakenError,
} from './shareholders.errors';
export { CreateShareholderDto } from './dto/shareholder.dto';
export type { ShareholderResponseDto } from './dto/shareholder.dto';
export { ShareholderType } from './shareholder.entity';
