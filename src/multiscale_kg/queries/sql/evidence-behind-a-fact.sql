-- Evidence behind a fact: quote, passage, cited references
-- The exact quotes behind an entity or a statement, where they stand in the article (passage, section,
-- character offsets) and the references cited in their sentences. :fact is an id (nano-low-first-cycle-ce,
-- ant-nest-si); statements about it (ant-nest-si--hasFeature--…) are listed too.
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
where e.subject_id = :fact
  or e.subject_id like :fact || '--%'
  or e.subject_id like '%--' || :fact
order by e.subject_id <> :fact, e.subject_id, e.start
