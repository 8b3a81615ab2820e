import { CompanyIdColumn, companyJoin, CompanyRelation } from '../core/tenancy/company-columns';
import { Column, Entity, Index, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Shareholder } from './shareholder.entity';

export type ShareholderChange = 'CREATED' | 'UPDATED' | 'LINKED';

/** One version of a shareholder profile: who changed what, when, before and after. */
@Entity({ name: 'shareholder_version' })
@Index('uq_shareholder_version', ['companyId', 'shareholderId', 'version'], { unique: true })
export class ShareholderVersion {
  @CompanyIdColumn('pk_shareholder_version')
  /** Set by the database: the transaction's company. */
  companyId?: string;

  @CompanyRelation('fk_shareholder_version_company')
  company?: never;

  @PrimaryGeneratedColumn('identity', {
    type: 'bigint',
    primaryKeyConstraintName: 'pk_shareholder_version',
  })
  id!: string;

  @Column({ type: 'uuid', name: 'shareholder_id' })
  shareholderId!: string;

  @ManyToOne(() => Shareholder, { onDelete: 'RESTRICT' })
  @companyJoin('shareholder_id', 'fk_shareholder_version_shareholder')
  shareholder?: Shareholder;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ type: 'varchar', length: 20 })
  change!: ShareholderChange;

  @Column({ type: 'text', array: true, name: 'changed_fields' })
  changedFields!: string[];

  @Column({ type: 'jsonb', nullable: true })
  before!: object | null;

  @Column({ type: 'jsonb' })
  after!: object;

  @Column({ type: 'varchar', length: 255, name: 'actor_sub' })
  actorSub!: string;

  @Column({ type: 'varchar', length: 255, name: 'actor_name' })
  actorName!: string;

  @Column({ type: 'varchar', length: 128, name: 'request_id', nullable: true })
  requestId!: string | null;

  @Column({ type: 'timestamptz', name: 'changed_at', default: () => 'now()' })
  changedAt!: Date;
}
