import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { hasAnyRole } from '../core/auth/principal';
import { Role } from '../core/auth/role.enum';
import { plainQuery } from '../core/db/plain-query';
import type { ActionContext } from '../core/http/action-context';
import { ShareholdersService } from '../shareholders/shareholders.service';
import { capTableFrom, ClassTerms, LedgerPosition, LedgerTotals, sumLedger } from './cap-table';
import type { CapTableDto } from './dto/cap-table.dto';
import { ShareClass } from './share-class.entity';

/**
 * The ledger aggregated per holder and class, for issuances dated on or before `as_of`, with each
 * holder's name: the whole read in one statement, its rows already LedgerPositions.
 */
export const CAP_TABLE_POSITIONS_SQL = `
  SELECT p.shareholder_id AS "shareholderId", s.name AS "shareholderName",
         p.share_class_id AS "shareClassId", p.shares
    FROM (SELECT shareholder_id, share_class_id, SUM(number_of_shares)::text AS shares
            FROM issuance
           WHERE date <= $1
           GROUP BY shareholder_id, share_class_id) p
    JOIN shareholder s ON s.id = p.shareholder_id`;

@Injectable()
export class CapTableService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly shareholders: ShareholdersService,
  ) {}

  /** Admins and auditors get the whole table; anyone else only their own row. */
  async asOf(asOf: string, context: ActionContext): Promise<CapTableDto> {
    const classes = this.classTerms();
    const ledger = await this.ledgerAsOf(asOf, classes);
    const table = capTableFrom(asOf, ledger, await classes);
    if (hasAnyRole(context.principal, [Role.Admin, Role.Auditor])) return table;
    const own = await this.shareholders.ownShareholderId(context);
    return {
      as_of: table.as_of,
      rounding: table.rounding,
      holders: table.holders.filter((row) => row.shareholder_id === own),
    };
  }

  /**
   * The ledger summed as of the date. The positions (one row per holder and class, tens of
   * thousands on a large table) are referenced only inside this call, so they are garbage by the
   * time the table and its JSON are built rather than copied along by every minor collection.
   */
  private async ledgerAsOf(asOf: string, classes: Promise<ClassTerms[]>): Promise<LedgerTotals> {
    const [positions, terms] = await Promise.all([
      plainQuery<LedgerPosition>(this.dataSource, CAP_TABLE_POSITIONS_SQL, [asOf], 'cap_table'),
      classes,
    ]);
    return sumLedger(positions, terms);
  }

  private async classTerms(): Promise<ClassTerms[]> {
    const classes = await this.dataSource.manager.find(ShareClass, {
      order: { seniority: 'DESC', createdAt: 'ASC' },
    });
    return classes.map((c) => ({
      id: c.id,
      name: c.name,
      type: c.type,
      authorizedShares: BigInt(c.authorizedShares),
      votesPerShare: c.votesPerShare,
    }));
  }
}
