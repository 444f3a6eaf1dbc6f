-- The evidence behind a fact (the low first-cycle Coulombic efficiency of nanoparticles and its links) in one
-- document (here: the article): quotes, offsets, passages, cited references.
select
  'https://w3id.org/multiscale-kg/id/' || e.subject_kind || '/' || e.subject_id as fact,
  e.quote,
  e.start,
  e."end",
  'https://w3id.org/multiscale-kg/id/passage/' || e.passage_id as passage,
  coalesce((select group_concat(value, ',') from json_each(e.ref_numbers)), '') as refs
from evidence as e
where e.document_id = 'nano-vs-micro'
  and ((e.subject_kind = 'drawback' and e.subject_id = 'nano-low-first-cycle-ce')
    or (e.subject_kind = 'statement' and e.subject_id like 'nano-low-first-cycle-ce--%'))
order by fact, e.start
