-- Which strategies address drawback :drawback, and what do they cost?
-- Every strategy the rules find addressing the drawback (the article says it improves it, or one of its
-- features, or one it inherits from its family, mitigates a cause of the drawback), best supported first
-- (stated, chained, inherited, prospect), one row per path, with the trade-offs the strategy introduces.
-- :drawback is a drawback id (nano-low-first-cycle-ce) or words of its label.
select
  d.label as drawback,
  sa.support,
  sa.strategy_id,
  s.label as strategy,
  f.label as via_feature,
  c.label as via_cause,
  case when sa.via_strategy_id <> sa.strategy_id then vs.label end as feature_from,
  (
    select group_concat(t.label, '; ')
    from strategy_profiles sp, json_each(sp.introduces) j join drawbacks t on t.id = j.value
    where sp.id = sa.strategy_id
  ) as tradeoffs,
  sa.explanation,
  sa.derivation_id
from strategy_addresses sa
join drawbacks d on d.id = sa.drawback_id
join strategies s on s.id = sa.strategy_id
left join features f on f.id = sa.via_feature_id
left join causes c on c.id = sa.via_cause_id
left join strategies vs on vs.id = sa.via_strategy_id
where d.id = :drawback or (:drawback <> '' and d.label like '%' || :drawback || '%')
order by d.label,
  case sa.support when 'stated' then 1 when 'chained' then 2 when 'inherited' then 3 else 4 end,
  sa.inherited, s.label, f.label, c.label
