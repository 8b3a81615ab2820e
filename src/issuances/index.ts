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
export type { CreateIssuanceDto, IssuanceResponseDto } from './dto/issuance.dto';
export { IssuanceFactsService, type IssuanceFacts } from './issuance-facts.service';
export * from './issuances.errors';
export { IssuancesModule } from './issuances.module';
export { IssuancesService } from './issuances.service';
export { ShareClassesService } from './share-classes.service';
export {
  capTablePositionsKnownAtSql,
  capTablePositionsSql,
} from './persistence/cap-table.repository';
