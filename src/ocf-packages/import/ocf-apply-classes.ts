import {
  CreateAuthorizedSharesAdjustmentDto,
  CreateConversionRatioAdjustmentDto,
  CreateSplitDto,
} from '../../issuances';
import { amountless, issued, needsFractionPrice, shares } from './ocf-apply-common';
import { ids, str } from './ocf-graph';
import type { ImportRun } from './ocf-import-run';
import type { Located } from './ocf-normalize';
import { integerRatio } from './ocf-ratio';

type Item = Record<string, unknown>;

async function splitClass(run: ImportRun, located: Located, classId: string) {
  const ratio = located.item.split_ratio as Item;
  const plain = {
    date: located.item.date,
    numerator: shares(ratio.numerator),
    denominator: shares(ratio.denominator),
  };
  try {
    const dto = await run.dto(CreateSplitDto, plain, located);
    return await run.s.splits.split(classId, dto, run.context);
  } catch (error) {
    if (!needsFractionPrice(error)) throw error;
    run.warn(located, 'leaves fractions of a share, which OCF does not price: paid out at 0');
    const dto = await run.dto(CreateSplitDto, { ...plain, fraction_price_per_share: '0' }, located);
    return run.s.splits.split(classId, dto, run.context);
  }
}

/** A split, through the ledger's own split; its reissuances matched to the package's. */
export async function split(run: ImportRun, located: Located): Promise<void> {
  const classId = run.shareClass(located);
  const done = await run.write(located, () => splitClass(run, located, classId));
  run.remember('stock_class_split', { id: done.id, ocfId: str(located.item.id) });
  run.count(located);
  for (const reissuance of run.check.splitReissuances.get(str(located.item.id)) ?? []) {
    const spent = await run.s.issuances.findOne(run.security(reissuance), run.context);
    const [after] = spent.derived_security_ids;
    if (!after || !spent.spent_by_transaction_id)
      run.fail(
        reissuance,
        `reissues ${str(reissuance.item.security_id)}, which the split left as it was`,
      );
    const ours = await run.s.issuances.findOne(after, run.context);
    const id = spent.spent_by_transaction_id;
    run.remember('stock_transaction', { id, ocfId: str(reissuance.item.id) });
    run.count(reissuance);
    issued(run, ids(reissuance.item.resulting_security_ids)[0], ours);
  }
}

/** The shares a dated change authorizes, with its approval dates. */
const authorizing = (item: Item) => ({
  date: item.date,
  authorized_shares: shares(item.new_shares_authorized),
  board_approval_date: item.board_approval_date,
  stockholder_approval_date: item.stockholder_approval_date,
});

/** Dated changes of a class or of the company: authorized shares, conversion ratio. */
export async function adjust(run: ImportRun, located: Located): Promise<void> {
  const { item } = located;
  const type = str(item.object_type);
  const ocfId = str(item.id);
  if (type === 'TX_ISSUER_AUTHORIZED_SHARES_ADJUSTMENT') {
    const dto = await run.dto(CreateAuthorizedSharesAdjustmentDto, authorizing(item), located);
    const done = await run.write(located, () => run.s.companyAuthorized.adjust(dto, run.context));
    run.remember('company_authorized_shares_adjustment', { id: done.id, ocfId });
  } else if (type === 'TX_STOCK_CLASS_AUTHORIZED_SHARES_ADJUSTMENT') {
    const classId = run.shareClass(located);
    const dto = await run.dto(CreateAuthorizedSharesAdjustmentDto, authorizing(item), located);
    const done = await run.write(located, () => run.s.authorized.adjust(classId, dto, run.context));
    run.remember('authorized_shares_adjustment', { id: done.id, ocfId });
  } else {
    const classId = run.shareClass(located);
    const mechanism = item.new_ratio_conversion_mechanism as Item | undefined;
    const ratio = integerRatio(mechanism?.ratio as Item | undefined) ?? amountless;
    const dto = await run.dto(
      CreateConversionRatioAdjustmentDto,
      { date: item.date, ...ratio },
      located,
    );
    const done = await run.write(located, () =>
      run.s.classes.adjustConversionRatio(classId, dto, run.context),
    );
    run.remember('conversion_ratio_adjustment', { id: done.id, ocfId });
  }
  run.count(located);
}
