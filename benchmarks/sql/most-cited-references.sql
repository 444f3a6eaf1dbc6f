-- The references a document (here: the article) cites most often, how many curated facts quote a sentence citing them, and one such fact.
with labels(kind, id, label) as (
  select 'mechanism', id, label from mechanisms
  union all select 'advantage', id, label from advantages
  union all select 'drawback', id, label from drawbacks
  union all select 'cause', id, label from causes
  union all select 'strategy', id, label from strategies
  union all select 'feature', id, label from features
  union all select 'claim', id, label from claims
  union all select 'context', id, label from context_facts
),
cites as (
  select e.document_id, cast(j.value as integer) as number, e.subject_kind as kind, e.subject_id as id
  from evidence as e, json_each(e.ref_numbers) as j
)
select
  'https://w3id.org/multiscale-kg/id/document/' || r.document_id as document,
  r.number,
  r.cited_count,
  count(distinct c.kind || '/' || c.id) as facts,
  min(coalesce(l.label, 'https://w3id.org/multiscale-kg/id/' || c.kind || '/' || c.id)) as example_fact
from refs as r
left join cites as c on c.document_id = r.document_id and c.number = r.number
left join labels as l on l.kind = c.kind and l.id = c.id
where r.document_id = 'nano-vs-micro'
group by r.id
order by r.cited_count desc, r.document_id, r.number
limit 10
