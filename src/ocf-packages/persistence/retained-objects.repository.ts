import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { Database, sql } from '../../core/db/database.service';

export interface RetainedObject {
  fileType: string;
  object: Record<string, unknown>;
}

/** The statements of the objects an import keeps verbatim (table ocf_retained_object). */
@Injectable()
export class RetainedObjectsRepository {
  constructor(private readonly db: Database) {}

  async list(tx: EntityManager, fileType: string): Promise<Array<Record<string, unknown>>> {
    const rows = await this.db.rows<{ object: Record<string, unknown> }>(
      sql`SELECT object FROM ocf_retained_object WHERE file_type = ${fileType}
           ORDER BY position, id`,
      { tx },
    );
    return rows.map((row) => row.object);
  }

  async insert(objects: RetainedObject[]): Promise<void> {
    if (objects.length === 0) return;
    await this.db.run(
      sql`
      INSERT INTO ocf_retained_object (id, ocf_id, object_type, file_type, position, object)
      SELECT r.id, r.object ->> 'id', r.object ->> 'object_type', r.file_type, r.position, r.object
        FROM unnest(${objects.map(() => randomUUID())}::uuid[], ${objects.map((o) => o.fileType)}::text[],
                    ${objects.map((_, i) => i)}::int[], ${objects.map((o) => JSON.stringify(o.object))}::jsonb[])
             AS r(id, file_type, position, object)`,
    );
  }
}
