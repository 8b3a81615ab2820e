import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { hasAnyRole } from '../core/auth/principal';
import { Role } from '../core/auth/role.enum';
import type { ActionContext } from '../core/http/action-context';
import { ShareholdersService } from '../shareholders/shareholders.service';
import { assembleCapTable, LedgerPosition } from './cap-table';
import type { CapTableDto } from './dto/cap-table.dto';
import { ShareClass } from './share-class.entity';

/**
 * The ledger aggregated per holder and class, for issuances dated on or before `as_of`, with each
 * holder's name: the whole read in one statement.
 */
export const CAP_TABLE_POSITIONS_SQL = `
  SELECT p.shareholder_id, p.share_class_id, p.shares, s.name
    FROM (SELECT shareholder_id, share_class_id, SUM(number_of_shares)::text AS shares
            FROM issuance
           WHERE date <= $1
           GROUP BY shareholder_id, share_class_id) p
    JOIN shareholder s ON s.id = p.shareholder_id`;

interface PositionRow {
  shareholder_id: string;
  share_class_id: string;
  shares: string;
  name: string;
}

@Injectable()
export class CapTableService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly shareholders: ShareholdersService,
  ) {}

  /** Admins and auditors get the whole table; anyone else only their own row. */
  async asOf(asOf: string, context: ActionContext): Promise<CapTableDto> {
    const [rows, classes] = await Promise.all([
      this.dataSource.query<PositionRow[]>(CAP_TABLE_POSITIONS_SQL, [asOf]),
      this.dataSource.manager.find(ShareClass, { order: { seniority: 'DESC', createdAt: 'ASC' } }),
    ]);
    const names = new Map<string, string>();
    const positions: LedgerPosition[] = rows.map((row) => {
      names.set(row.shareholder_id, row.name);
      return {
        shareholderId: row.shareholder_id,
        shareClassId: row.share_class_id,
        shares: Number(row.shares),
      };
    });
    const table = assembleCapTable(
      asOf,
      positions,
      classes.map((c) => ({
        id: c.id,
        name: c.name,
        type: c.type,
        authorizedShares: BigInt(c.authorizedShares),
        votesPerShare: c.votesPerShare,
      })),
      names,
    );
    if (hasAnyRole(context.principal, [Role.Admin, Role.Auditor])) return table;
    const own = await this.shareholders.ownShareholderId(context);
    return {
      as_of: table.as_of,
      rounding: table.rounding,
      holders: table.holders.filter((row) => row.shareholder_id === own),
    };
  }
}
