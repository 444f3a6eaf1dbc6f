-- Evidence behind a fact: quote, passage, cited references
-- The exact quotes behind an entity or a statement, where they stand in the article (passage, section,
-- character offsets) and the references cited in their sentences. :fact is an id (nano-low-first-cycle-ce,
-- ant-nest-si) or a label ("Ant-nest-like porous silicon microparticles"); statements about it
-- (ant-nest-si--hasFeature--…) are listed too.
with labelled(id, label) as (
  select id, label from drawbacks union all select id, label from strategies
  union all select id, label from causes union all select id, label from features
  union all select id, label from mechanisms union all select id, label from claims
  union all select id, label from advantages union all select id, name from materials
),
fact(id) as (
  select coalesce((select id from labelled where lower(label) = lower(trim(:fact)) limit 1), :fact)
)
select
  e.subject_kind,
  e.subject_id,
  e.quote,
  e.passage_id,
  sec.title as section,
  e.start,
  e."end",
  e.ref_numbers,
  p.text as passage_text
from evidence e
join passages p on p.id = e.passage_id
left join sections sec on sec.id = p.section_id
join fact f
where e.subject_id = f.id
  or e.subject_id like f.id || '--%'
  or e.subject_id like '%--' || f.id
order by e.subject_id <> f.id, e.subject_id, e.start
