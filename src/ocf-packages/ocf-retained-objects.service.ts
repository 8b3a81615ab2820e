import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  RetainedObject,
  RetainedObjectsRepository,
} from './persistence/retained-objects.repository';

/** OCF objects kept as they came (valuations, acceptances) and exported again unchanged. */
@Injectable()
export class OcfRetainedObjects {
  constructor(private readonly repository: RetainedObjectsRepository) {}

  list(tx: EntityManager, fileType: string): Promise<Array<Record<string, unknown>>> {
    return this.repository.list(tx, fileType);
  }

  keep(objects: RetainedObject[]): Promise<void> {
    return this.repository.insert(objects);
  }
}
