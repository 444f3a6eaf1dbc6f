-- The rules of queries/rules/*.rq as one SQL query: every triple their fixpoint concludes, as
-- (subject, relation, object) node keys. The ontology facts the rules read (mskg:comparedWith,
-- mskg:higherIsBetter, mskg:standsFor) are in the temporary table `ontology` (subject, predicate, object),
-- filled from the ontology graph before the query runs.
with recursive
has_feature(strategy_id, feature_id) as (  -- inherit-features: down exampleOf, to a fixpoint
  select strategy_id, feature_id from strategy_features
  union
  select f.strategy_id, h.feature_id
  from strategy_families as f join has_feature as h on h.strategy_id = f.family_id
),
addresses(strategy_id, drawback_id) as (
  select h.strategy_id, dc.drawback_id  -- addresses
  from has_feature as h
  join feature_mitigates as fm on fm.feature_id = h.feature_id
  join drawback_causes as dc on dc.cause_id = fm.cause_id
  union
  select f.family_id, dc.drawback_id  -- family-addresses
  from strategy_families as f
  join has_feature as h on h.strategy_id = f.strategy_id
  join feature_mitigates as fm on fm.feature_id = h.feature_id
  join drawback_causes as dc on dc.cause_id = fm.cause_id
  where not exists (
    select 1 from has_feature as own where own.strategy_id = f.family_id and own.feature_id = h.feature_id
  )
),
leaves_open(strategy_id, drawback_id) as (
  select distinct a.strategy_id, d.id
  from addresses as a
  join drawbacks as addressed on addressed.id = a.drawback_id and addressed.kind = 'drawback'
  join drawbacks as d on d.scale = addressed.scale and d.kind = 'drawback'
  where not exists (select 1 from addresses as x where x.strategy_id = a.strategy_id and x.drawback_id = d.id)
    and not exists (
      select 1 from strategy_tradeoffs as t where t.strategy_id = a.strategy_id and t.drawback_id = d.id
    )
),
users(strategy_id, material_id) as (  -- ?user mskg:usesMaterial ?used ; mskg:exampleOf? ?strategy
  select strategy_id, material_id from strategy_materials
  union
  select f.family_id, sm.material_id
  from strategy_families as f join strategy_materials as sm on sm.strategy_id = f.strategy_id
),
candidates(strategy_id, material_id) as (
  select distinct u.strategy_id, m.id
  from users as u
  join materials as used on used.id = u.material_id
  join ontology as stands on stands.predicate = 'standsFor' and stands.subject = 'role/' || used.role
  join materials as m on m.chemistry = used.chemistry and 'role/' || m.role = stands.object
  where not exists (
      select 1 from strategy_materials as x where x.strategy_id = u.strategy_id and x.material_id = m.id
    )
    and not exists (
      select 1 from strategy_families as f join strategy_materials as x on x.strategy_id = f.strategy_id
      where f.family_id = u.strategy_id and x.material_id = m.id
    )
),
pairs(claim_id, material_id, better_low, better_high, other_low, other_high) as (
  select c.id, b.material_id, b.value_min, b.value_max, o.value_min, o.value_max
  from claims as c
  join ontology as compared
    on compared.predicate = 'comparedWith' and compared.subject = 'scale/' || c.better_scale
  join ontology as higher
    on higher.predicate = 'higherIsBetter' and higher.subject = 'property/' || c.property
    and higher.object = 'true'
  join measurements as b
    on b.property = c.property and b.scale = c.better_scale and b.source = 'table1'
  join measurements as o
    on o.material_id = b.material_id and o.property = c.property and 'scale/' || o.scale = compared.object
    and o.source = 'table1'
),
supported as (select distinct claim_id, material_id from pairs where better_low > other_high),
contradicted as (select distinct claim_id, material_id from pairs where better_high < other_low),
overlaps(claim_id, material_id) as (
  select distinct claim_id, material_id from pairs
  except select * from supported
  except select * from contradicted
),
insufficient(claim_id, material_id) as (
  select c.id, m.id
  from claims as c, materials as m
  where c.property is not null
    and exists (select 1 from measurements as r where r.material_id = m.id and r.source = 'table1')
  except select * from supported
  except select * from contradicted
  except select * from overlaps
),
above(measurement_id, material_id) as (
  select m.id, t.material_id
  from measurements as m
  join theoretical_capacities as t on t.material_id = m.material_id
  where m.property = 'gravimetric_capacity' and m.qualifier not in ('<=', '<')
    and coalesce(m.value_max, m.value_min) > round(t.capacity)
)
select 'strategy/' || strategy_id, 'hasFeature', 'feature/' || feature_id
from (select * from has_feature except select strategy_id, feature_id from strategy_features)
union all select 'strategy/' || strategy_id, 'addresses', 'drawback/' || drawback_id from addresses
union all select 'strategy/' || strategy_id, 'leavesOpen', 'drawback/' || drawback_id from leaves_open
union all select 'strategy/' || strategy_id, 'candidateFor', 'material/' || material_id from candidates
union all select 'claim/' || claim_id, 'supportedBy', 'material/' || material_id from supported
union all select 'claim/' || claim_id, 'contradictedBy', 'material/' || material_id from contradicted
union all select 'claim/' || claim_id, 'overlapsFor', 'material/' || material_id from overlaps
union all select 'claim/' || claim_id, 'insufficientFor', 'material/' || material_id from insufficient
union all select 'measurement/' || measurement_id, 'exceedsTheoreticalCapacity',
  'theoretical-capacity/' || material_id
from above
