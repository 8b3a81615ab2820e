import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';
import { AuditWriter } from './audit-writer.service';
import { AuditRepository } from './audit.repository';
import { RecordAuditEntryListener } from './listeners/record-audit-entry.listener';

@Module({
  controllers: [AuditController],
  providers: [AuditRepository, AuditWriter, AuditService, RecordAuditEntryListener],
  exports: [AuditService],
})
export class AuditModule {}
