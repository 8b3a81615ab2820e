/** The audit module's public surface: what other modules may import. */
export type { AuditOutcome } from './audit-entry.entity';
export { AuditModule } from './audit.module';
export { AuditService } from './audit.service';
export type {
  AuditActorDto,
  AuditEntryDto,
  AuditFilterDto,
  AuditPageDto,
  AuditVerificationDto,
} from './dto/audit-query.dto';
