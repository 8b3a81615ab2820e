import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';
import { AuditWriter } from './audit-writer.service';
import { AuditRepository } from './audit.repository';
import { AuditCheckpointScheduler } from './audit-checkpoint.scheduler';
import { AuditCheckpointService } from './audit-checkpoint.service';
import { checkpointSignerProvider } from './audit-checkpoint-signer';
import { AuditCheckpointsController } from './audit-checkpoints.controller';
import { RecordAuditEntryListener } from './listeners/record-audit-entry.listener';
import { AuditCheckpointsRepository } from './persistence/audit-checkpoints.repository';

@Module({
  controllers: [AuditController, AuditCheckpointsController],
  providers: [
    AuditRepository,
    AuditWriter,
    AuditService,
    RecordAuditEntryListener,
    AuditCheckpointsRepository,
    checkpointSignerProvider,
    AuditCheckpointService,
    AuditCheckpointScheduler,
  ],
  exports: [AuditService],
})
export class AuditModule {}
