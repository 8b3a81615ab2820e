import { applyDecorators } from '@nestjs/common';
import { JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

/**
 * The schema of company-owned entities (see the company-isolation migration): a `company_id`
 * column that leads the primary key and defaults to the transaction's company, a foreign key to
 * `company`, and foreign keys to other company-owned rows that include the company.
 */

/** `company_id`, part of the primary key named `primaryKey`; defaults to the transaction's company. */
export const CompanyIdColumn = (primaryKey: string): PropertyDecorator =>
  PrimaryColumn({
    type: 'uuid',
    name: 'company_id',
    default: () => 'app_company_id()',
    primaryKeyConstraintName: primaryKey,
  });

/** The foreign key `company_id` → `company(id)`, on a relation property never loaded. */
export const CompanyRelation = (foreignKey: string): PropertyDecorator =>
  applyDecorators(
    ManyToOne('Company', { onDelete: 'RESTRICT' }),
    JoinColumn({ name: 'company_id', foreignKeyConstraintName: foreignKey }),
  );

/** The join columns of a foreign key to another company-owned row: (company_id, `column`). */
export const companyJoin = (
  column: string,
  foreignKey: string,
  referenced = 'id',
): PropertyDecorator =>
  JoinColumn([
    { name: 'company_id', referencedColumnName: 'companyId', foreignKeyConstraintName: foreignKey },
    { name: column, referencedColumnName: referenced, foreignKeyConstraintName: foreignKey },
  ]);
