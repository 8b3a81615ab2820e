import { CreateStockPlanDto, CreateVestingTermsDto } from '../../equity-plans';
import { CreateShareClassDto, UpdateShareClassDto } from '../../issuances';
import { CreateShareholderDto } from '../../shareholders';
import { ids, str } from './ocf-graph';
import type { ImportRun } from './ocf-import-run';
import { wholeShares } from './ocf-ledger-check';
import type { Located } from './ocf-normalize';
import { integerRatio } from './ocf-ratio';

type Item = Record<string, unknown>;

/** A stakeholder's email: its contact info's first, else its primary contact's. */
function emailOf(item: Item): string | undefined {
  const lists = [
    (item.contact_info as Item | undefined)?.emails,
    (item.primary_contact as Item | undefined)?.emails,
  ];
  for (const list of lists)
    for (const email of (list as Item[] | undefined) ?? [])
      if (typeof email.email_address === 'string') return email.email_address;
  return undefined;
}

export async function importStakeholders(run: ImportRun): Promise<void> {
  for (const [id, located] of run.graph.stakeholders) {
    const { item } = located;
    let email = emailOf(item);
    if (!email) {
      email = `stakeholder-${id
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .slice(0, 60)}@ocf-import.invalid`;
      run.warn(located, `has no email; imported as ${email} (an address that never delivers)`);
    }
    const dto = await run.dto(
      CreateShareholderDto,
      {
        name: str((item.name as Item | undefined)?.legal_name),
        email,
        type: item.stakeholder_type,
      },
      located,
    );
    const holder = await run.write(located, () => run.s.holders.create(dto, run.context));
    run.holders.set(id, holder.id);
    run.remember('shareholder', { id: holder.id, ocfId: id });
    run.count(located);
  }
}

/** The legend text of a class: the template its issuances name (the first, if several). */
function legendOf(run: ImportRun, classId: string): string | undefined {
  for (const issuance of run.graph.issuances.values())
    if (str(issuance.item.stock_class_id) === classId)
      for (const legend of ids(issuance.item.stock_legend_ids)) {
        const template = run.graph.legends.get(legend);
        if (template) return str(template.item.text);
      }
  return undefined;
}

/** A certificate prefix from the class's default_id_prefix: its letters, capitals, unique. */
function prefixFor(item: Item, taken: Set<string>): string {
  const letters = str(item.default_id_prefix)
    .toUpperCase()
    .replace(/[^A-Z]/g, '');
  const base = (
    letters ||
    str(item.name)
      .toUpperCase()
      .replace(/[^A-Z]/g, '') ||
    'S'
  ).slice(0, 5);
  let prefix = base;
  for (let n = 0; taken.has(prefix); n += 1)
    prefix = `${base}${String.fromCharCode(65 + (n % 26))}`.slice(0, 6);
  taken.add(prefix);
  return prefix;
}

export async function importStockClasses(run: ImportRun): Promise<void> {
  const prefixes = new Set<string>();
  for (const [id, located] of run.graph.classes) {
    const { item } = located;
    const authorized = wholeShares(item.initial_shares_authorized);
    if (authorized === null)
      run.fail(
        located,
        'authorizes a number of shares that is not a whole number (UNLIMITED and NOT_APPLICABLE are not modelled)',
        '/initial_shares_authorized',
      );
    const dto = await run.dto(
      CreateShareClassDto,
      {
        name: item.name,
        type: item.class_type,
        authorized_shares: Number(authorized),
        par_value: (item.par_value as Item | undefined)?.amount ?? '0',
        votes_per_share: Number(item.votes_per_share),
        certificate_prefix: prefixFor(item, prefixes),
        seniority: Number(item.seniority),
        legend_text: legendOf(run, id),
      },
      located,
    );
    const created = await run.write(located, () => run.s.classes.create(dto, run.context));
    run.classes.set(id, created.id);
    run.remember('share_class', { id: created.id, ocfId: id });
    run.count(located);
  }
  for (const located of run.graph.classes.values()) await conversionRights(run, located);
}

/** A class's conversion right (a ratio into another class), once every class exists. */
async function conversionRights(run: ImportRun, located: Located): Promise<void> {
  const rights = (located.item.conversion_rights as Item[] | undefined) ?? [];
  const right = rights.find((r) => str(r.converts_to_stock_class_id));
  if (!right) return;
  if (rights.length > 1)
    run.warn(located, 'has several conversion rights; the first is imported', '/conversion_rights');
  const mechanism = right.conversion_mechanism as Item | undefined;
  if (str(mechanism?.type) !== 'RATIO_CONVERSION')
    return run.warn(
      located,
      `converts by ${str(mechanism?.type)}, not modelled: not imported`,
      '/conversion_rights/0',
    );
  const ratio = integerRatio(mechanism?.ratio as Item | undefined);
  if (!ratio)
    return run.fail(
      located,
      'converts at a ratio that is not positive',
      '/conversion_rights/0/conversion_mechanism/ratio',
    );
  const dto = await run.dto(
    UpdateShareClassDto,
    {
      converts_to_share_class_id: run.classes.get(str(right.converts_to_stock_class_id)),
      conversion_numerator: ratio.numerator,
      conversion_denominator: ratio.denominator,
    },
    located,
  );
  const id = run.classes.get(str(located.item.id))!;
  await run.write(located, () => run.s.classes.update(id, dto, run.context));
}

export async function importVestingTerms(run: ImportRun): Promise<void> {
  for (const [id, located] of run.graph.terms) {
    const { item } = located;
    const dto = await run.dto(
      CreateVestingTermsDto,
      {
        name: item.name,
        description: item.description,
        allocation_type: item.allocation_type,
        vesting_conditions: item.vesting_conditions,
      },
      located,
    );
    const terms = await run.write(located, () => run.s.terms.create(dto, run.context));
    run.terms.set(id, terms.id);
    run.remember('vesting_terms', { id: terms.id, ocfId: id });
    run.count(located);
  }
}

export async function importStockPlans(run: ImportRun): Promise<void> {
  for (const [id, located] of run.graph.plans) {
    const { item } = located;
    const [classId] = ids(item.stock_class_ids ?? [item.stock_class_id]);
    const dto = await run.dto(
      CreateStockPlanDto,
      {
        name: item.plan_name,
        share_class_id: run.need(
          run.classes,
          classId ?? '',
          located,
          'stock_class_ids',
          'the stock class',
        ),
        initial_shares_reserved: Number(wholeShares(item.initial_shares_reserved) ?? -1),
        board_approval_date: item.board_approval_date,
        stockholder_approval_date: item.stockholder_approval_date,
        default_cancellation_behavior: item.default_cancellation_behavior ?? 'RETURN_TO_POOL',
      },
      located,
    );
    const plan = await run.write(located, () => run.s.plans.create(dto, run.context));
    run.plans.set(id, plan.id);
    run.remember('stock_plan', { id: plan.id, ocfId: id });
    run.count(located);
  }
}
