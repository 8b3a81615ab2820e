import { Injectable } from '@nestjs/common';
import type { ActionContext } from '../core/http/action-context';
import { HolderAccess } from '../shareholders';
import { capTableFrom, ClassTerms, LedgerTotals, sumLedger } from './cap-table';
import type { CapTableDto } from './dto/cap-table.dto';
import { CapTableRepository } from './persistence/cap-table.repository';
import { ShareClassesRepository } from './persistence/share-classes.repository';

@Injectable()
export class CapTableService {
  constructor(
    private readonly repository: CapTableRepository,
    private readonly shareClasses: ShareClassesRepository,
    private readonly access: HolderAccess,
  ) {}

  /** Admins and auditors get the whole table; anyone else only their own row. */
  async asOf(asOf: string, context: ActionContext): Promise<CapTableDto> {
    const classes = this.classTerms();
    const ledger = await this.ledgerAsOf(asOf, classes);
    const table = capTableFrom(asOf, ledger, await classes);
    const scope = await this.access.scope(context);
    if (scope.all) return table;
    return {
      as_of: table.as_of,
      rounding: table.rounding,
      holders: table.holders.filter((row) => row.shareholder_id === scope.shareholderId),
    };
  }

  /**
   * The ledger summed as of the date. The positions (one row per holder and class, tens of
   * thousands on a large table) are referenced only inside this call, so they are garbage by the
   * time the table and its JSON are built rather than copied along by every minor collection.
   */
  private async ledgerAsOf(asOf: string, classes: Promise<ClassTerms[]>): Promise<LedgerTotals> {
    const [positions, terms] = await Promise.all([this.repository.positions(asOf), classes]);
    return sumLedger(positions, terms);
  }

  private async classTerms(): Promise<ClassTerms[]> {
    const classes = await this.shareClasses.list();
    return classes.map((c) => ({
      id: c.id,
      name: c.name,
      type: c.type,
      authorizedShares: BigInt(c.authorizedShares),
      votesPerShare: c.votesPerShare,
    }));
  }
}
