/** The shareholders module's public surface: what other modules may import. */
export { ShareholdersModule } from './shareholders.module';
export { ShareholdersService } from './shareholders.service';
export { HolderAccess, type HolderScope } from './holder-access';
export { SHAREHOLDER_HOLDINGS, type ShareholderHoldingsReader } from './shareholder-holdings.port';
export {
  ShareholderEmailTakenError,
  ShareholderNotFoundError,
  ShareholderUserTakenError,
} from './shareholders.errors';
export type { CreateShareholderDto, ShareholderResponseDto } from './dto/shareholder.dto';
/**
 * The entity only as the target of other entities' foreign-key relations: its rows are read and
 * written through ShareholdersService alone.
 */
export { Shareholder, ShareholderType } from './shareholder.entity';
