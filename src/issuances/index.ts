/** The issuances module's public surface: what other modules may import. */
export { CERTIFICATE_NUMBERS, type CertificateNumberRelation } from './certificate-numbers.port';
export { CERTIFICATE_STATES, type CertificateStateRelation } from './certificate-states.port';
export { CapTableService } from './cap-table.service';
export { DILUTION, type Dilution, type DilutionSource } from './dilution.port';
export { CompanyService } from './company.service';
export type { CompanyName } from './persistence/company.repository';
export { CompanyResponseDto, PutCompanyDto } from './dto/company.dto';
export type { CapTableRowDto } from './dto/cap-table.dto';
export { DemoDataSeeder } from './demo-data.seeder';
export { CreateIssuanceDto } from './dto/issuance.dto';
export type { IssuanceResponseDto } from './dto/issuance.dto';
export { IssuanceFactsService, type IssuanceFacts } from './issuance-facts.service';
export * from './issuances.errors';
export { IssuancesModule } from './issuances.module';
export { IssuancesService } from './issuances.service';
export { ShareClassesService } from './share-classes.service';
export {
  capTablePositionsKnownAtSql,
  capTablePositionsSql,
} from './persistence/cap-table.repository';
export * from './ledger-export.service';
export { LedgerService } from './ledger.service';
export { LedgerSplits } from './ledger-splits.service';
export { LedgerReversals } from './ledger-reversals.service';
export { AuthorizedSharesService } from './authorized-shares.service';
export { CompanyAuthorizedSharesService } from './company-authorized-shares.service';
export {
  CreateAuthorizedSharesAdjustmentDto,
  CreateConversionRatioAdjustmentDto,
  CreateShareClassDto,
  CreateSplitDto,
  UpdateShareClassDto,
  type ShareClassResponseDto,
} from './dto/share-class.dto';
export {
  CreateCancellationDto,
  CreateConversionDto,
  CreateReissuanceDto,
  CreateRepurchaseDto,
  CreateTransferDto,
} from './dto/ledger.dto';
export { CreateReversalDto } from './dto/reversal.dto';
