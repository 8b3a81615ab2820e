import { Inject, Injectable, Optional } from '@nestjs/common';
import type { ActionContext } from '../core/http/action-context';
import { HolderAccess } from '../shareholders';
import { capTableFrom, ClassTerms, LedgerTotals, sumLedger } from './cap-table';
import { DILUTION, DilutionSource } from './dilution.port';
import type { CapTableDto } from './dto/cap-table.dto';
import { fullyDiluted } from './fully-diluted';
import { CapTableRepository } from './persistence/cap-table.repository';
import { ShareClassesRepository } from './persistence/share-classes.repository';

@Injectable()
export class CapTableService {
  constructor(
    private readonly repository: CapTableRepository,
    private readonly shareClasses: ShareClassesRepository,
    private readonly access: HolderAccess,
    @Optional() @Inject(DILUTION) private readonly dilution?: DilutionSource,
  ) {}

  /**
   * Admins and auditors get the whole table; anyone else only their own row. `knownAt`: computed
   * only from what had been recorded by then (holder names and classes are today's).
   */
  async asOf(
    asOf: string,
    context: ActionContext,
    knownAt?: string,
    basis: 'outstanding' | 'fully_diluted' = 'outstanding',
  ): Promise<CapTableDto> {
    const knownAtTime = new Date(knownAt ?? Date.now()).toISOString();
    const classes = this.classTerms();
    const ledger = await this.ledgerAsOf(asOf, classes, knownAt && knownAtTime);
    const outstanding: CapTableDto = {
      ...capTableFrom(asOf, ledger, await classes),
      known_at: knownAtTime,
    };
    const table =
      basis === 'fully_diluted'
        ? fullyDiluted(
            outstanding,
            (await this.dilution?.dilutionAsOf(asOf, knownAt && knownAtTime)) ?? {
              holders: [],
              pools: [],
            },
          )
        : outstanding;
    const scope = await this.access.scope(context);
    if (scope.all) return table;
    return {
      as_of: table.as_of,
      known_at: table.known_at,
      rounding: table.rounding,
      ...(table.basis ? { basis: table.basis } : {}),
      holders: table.holders.filter((row) => row.shareholder_id === scope.shareholderId),
    };
  }

  /**
   * The ledger summed as of the date. The positions (one row per holder and class, tens of
   * thousands on a large table) are referenced only inside this call, so they are garbage by the
   * time the table and its JSON are built rather than copied along by every minor collection.
   */
  private async ledgerAsOf(
    asOf: string,
    classes: Promise<ClassTerms[]>,
    knownAt?: string,
  ): Promise<LedgerTotals> {
    const [positions, terms] = await Promise.all([
      this.repository.positions(asOf, knownAt),
      classes,
    ]);
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
