-- Where is reference :n cited?
-- Every citation marker of reference number :n, with the sentence it stands in and its section, then the
-- curated facts whose quotes lie in a sentence that cites it.
select * from (
  select
    'citation' as kind,
    c.passage_id,
    sec.title as section,
    c.marker,
    c.sentence as text,
    c.start,
    c."end"
  from citations c
  join passages p on p.id = c.passage_id
  left join sections sec on sec.id = p.section_id
  where c.ref_number = cast(:n as integer)
  union all
  select
    'evidence of ' || e.subject_kind || ' ' || e.subject_id,
    e.passage_id,
    sec.title,
    e.ref_numbers,
    e.quote,
    e.start,
    e."end"
  from evidence e
  join passages p on p.id = e.passage_id
  left join sections sec on sec.id = p.section_id
  where exists (select 1 from json_each(e.ref_numbers) where value = cast(:n as integer))
)
order by kind <> 'citation', start, kind
