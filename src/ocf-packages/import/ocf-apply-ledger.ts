import {
  CreateCancellationDto,
  CreateConversionDto,
  CreateIssuanceDto,
  CreateReissuanceDto,
  CreateRepurchaseDto,
  CreateReversalDto,
  CreateTransferDto,
  type IssuanceResponseDto,
} from '../../issuances';
import { amount, issued, needsFractionPrice, shares } from './ocf-apply-common';
import { ids, str } from './ocf-graph';
import type { ImportRun } from './ocf-import-run';
import type { Located } from './ocf-normalize';

type Item = Record<string, unknown>;
/** What a terminal transaction answers: itself, and the securities it created. */
interface Spent {
  transaction: { id: string };
  balance: IssuanceResponseDto | null;
  resulting: IssuanceResponseDto[];
}

export async function issueStock(run: ImportRun, located: Located): Promise<void> {
  const { item } = located;
  const dto = await run.dto(
    CreateIssuanceDto,
    {
      shareholder_id: run.holder(located),
      share_class_id: run.shareClass(located),
      number_of_shares: shares(item.quantity),
      price: amount(item.share_price),
      currency: (item.share_price as Item | undefined)?.currency,
      date: item.date,
    },
    located,
  );
  const { issuance } = await run.write(located, () => run.s.issuances.issue(dto, run.context));
  issued(run, str(item.security_id), issuance);
}

/** Our results of a terminal transaction, matched to the package's securities in order. */
function results(run: ImportRun, located: Located, spent: Spent): void {
  const { item } = located;
  run.remember('stock_transaction', { id: spent.transaction.id, ocfId: str(item.id) });
  run.count(located);
  const wanted = ids(item.resulting_security_ids);
  spent.resulting.forEach((ours, i) => {
    const theirs = run.graph.issuances.get(wanted[i]);
    if (theirs && shares(theirs.item.quantity) !== ours.number_of_shares)
      run.fail(
        located,
        `results here in ${ours.number_of_shares} shares of ${wanted[i]}; the package says ${str(theirs.item.quantity)}`,
        `/resulting_security_ids/${i}`,
      );
    if (wanted[i]) issued(run, wanted[i], ours);
  });
  const balance = str(item.balance_security_id);
  if (spent.balance && balance) issued(run, balance, spent.balance);
}

type Spend = (run: ImportRun, located: Located, security: string) => Promise<Spent>;

const transfer: Spend = async (run, located, security) => {
  const { item } = located;
  const transfers = ids(item.resulting_security_ids).map((id) => {
    const theirs = run.graph.issuances.get(id)!;
    return { to_shareholder_id: run.holder(theirs), quantity: shares(theirs.item.quantity) };
  });
  const dto = await run.dto(
    CreateTransferDto,
    {
      date: item.date,
      transfers,
      price_per_share: transferPrice(run, located),
      consideration_text: item.consideration_text,
    },
    located,
  );
  return (await run.s.ledger.transfer(security, dto, run.context)).result;
};

const cancel: Spend = async (run, located, security) => {
  const { item } = located;
  const dto = await run.dto(
    CreateCancellationDto,
    { date: item.date, quantity: shares(item.quantity), reason: item.reason_text },
    located,
  );
  return (await run.s.ledger.cancel(security, dto, run.context)).result;
};

const repurchase: Spend = async (run, located, security) => {
  const { item } = located;
  const dto = await run.dto(
    CreateRepurchaseDto,
    {
      date: item.date,
      quantity: shares(item.quantity),
      price_per_share: amount(item.price),
      consideration_text: item.consideration_text,
    },
    located,
  );
  return (await run.s.ledger.repurchase(security, dto, run.context)).result;
};

/** A conversion into the class the security's class converts to; a fraction left is paid at 0. */
const convert: Spend = async (run, located, security) => {
  const { item } = located;
  const target = run.graph.issuances.get(ids(item.resulting_security_ids)[0]);
  const plain = {
    date: item.date,
    to_share_class_id: target ? run.shareClass(target) : undefined,
    quantity: shares(item.quantity_converted),
  };
  try {
    const dto = await run.dto(CreateConversionDto, plain, located);
    return (await run.s.ledger.convert(security, dto, run.context)).result;
  } catch (error) {
    if (!needsFractionPrice(error)) throw error;
    run.warn(located, 'leaves a fraction of a share, which OCF does not price: paid out at 0');
    const dto = await run.dto(
      CreateConversionDto,
      { ...plain, fraction_price_per_share: '0' },
      located,
    );
    return (await run.s.ledger.convert(security, dto, run.context)).result;
  }
};

const reissue: Spend = async (run, located, security) => {
  const reason = located.item.reason_text ?? 'Reissued (OCF import)';
  const dto = await run.dto(CreateReissuanceDto, { date: located.item.date, reason }, located);
  return (await run.s.ledger.reissue(security, dto, run.context)).result;
};

const SPEND: Record<string, Spend> = {
  TX_STOCK_TRANSFER: transfer,
  TX_STOCK_CANCELLATION: cancel,
  TX_STOCK_REPURCHASE: repurchase,
  TX_STOCK_CONVERSION: convert,
  TX_STOCK_REISSUANCE: reissue,
};

/** A terminal transaction: through the stock ledger's own route logic, its results matched. */
export async function spendStock(run: ImportRun, located: Located): Promise<void> {
  const security = run.security(located);
  const spend = SPEND[str(located.item.object_type)];
  results(run, located, await run.write(located, () => spend(run, located, security)));
}

export async function retract(run: ImportRun, located: Located): Promise<void> {
  const security = run.security(located);
  const dto = await run.dto(CreateReversalDto, { reason: located.item.reason_text }, located);
  const reversal = await run.write(located, () =>
    run.s.reversals.reverse(security, dto, run.context),
  );
  const id = reversal.result.transaction.id;
  run.remember('stock_transaction', { id, ocfId: str(located.item.id) });
  run.count(located);
}

/**
 * A transfer's price per share: OCF gives none on the transfer, but its resulting securities'
 * share_price (what the transferees paid); when they agree, that is the transfer's price.
 */
function transferPrice(run: ImportRun, located: Located): string | undefined {
  const prices = new Set(
    ids(located.item.resulting_security_ids).map((id) =>
      str(amount(run.graph.issuances.get(id)?.item.share_price)),
    ),
  );
  if (prices.size === 1) return [...prices][0] || undefined;
  run.warn(
    located,
    'has resulting securities at different share prices; recorded without a price',
    '/resulting_security_ids',
  );
  return undefined;
}
