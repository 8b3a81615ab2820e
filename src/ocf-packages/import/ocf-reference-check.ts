import { ids, str } from './ocf-graph';
import type { Replay } from './ocf-ledger-state';
import type { Located } from './ocf-normalize';

/** Every id an object names in `member` is an object of the package. */
function need(
  replay: Replay,
  located: Located,
  member: string,
  map: Map<string, Located>,
  what: string,
) {
  const id = str(located.item[member]);
  if (id && !map.has(id))
    replay.error(located, `names ${what} ${id}, which the package does not hold`, `/${member}`);
}

function issuanceReferences(replay: Replay): void {
  const { graph } = replay;
  for (const located of graph.issuances.values()) {
    need(replay, located, 'stakeholder_id', graph.stakeholders, 'the stakeholder');
    need(replay, located, 'stock_class_id', graph.classes, 'the stock class');
    ids(located.item.stock_legend_ids).forEach((legend, i) => {
      if (!graph.legends.has(legend))
        replay.warn(
          located,
          `names the legend ${legend}, not in the package: ignored`,
          `/stock_legend_ids/${i}`,
        );
    });
  }
  for (const located of graph.grants.values())
    need(replay, located, 'stakeholder_id', graph.stakeholders, 'the stakeholder');
  for (const located of graph.transactions) {
    const type = str(located.item.object_type);
    if (type.startsWith('TX_STOCK_CLASS_'))
      need(replay, located, 'stock_class_id', graph.classes, 'the stock class');
    if (type === 'TX_STOCK_PLAN_POOL_ADJUSTMENT')
      need(replay, located, 'stock_plan_id', graph.plans, 'the stock plan');
  }
}

function classReferences(replay: Replay): void {
  const { graph } = replay;
  for (const located of graph.plans.values())
    ids(located.item.stock_class_ids ?? [located.item.stock_class_id]).forEach((id, i) => {
      if (!graph.classes.has(id))
        replay.error(
          located,
          `names the stock class ${id}, which the package does not hold`,
          `/stock_class_ids/${i}`,
        );
    });
  for (const located of graph.classes.values()) {
    const rights =
      (located.item.conversion_rights as Array<Record<string, unknown>> | undefined) ?? [];
    rights.forEach((right, i) => {
      const target = str(right.converts_to_stock_class_id);
      if (target && !graph.classes.has(target))
        replay.error(
          located,
          `converts to the stock class ${target}, which the package does not hold`,
          `/conversion_rights/${i}`,
        );
    });
  }
}

/** Every stakeholder, class, plan and legend an object names is in the package. */
export function checkReferences(replay: Replay): void {
  issuanceReferences(replay);
  classReferences(replay);
}
