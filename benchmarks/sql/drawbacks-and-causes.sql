-- Drawbacks of each particle scale, the causes they come from, and the quote that links the two, as one
-- document (here: the article) states them.
select d.scale, d.label as drawback, c.label as cause, e.quote
from drawback_causes as dc
join drawbacks as d on d.id = dc.drawback_id
join causes as c on c.id = dc.cause_id
join evidence as e on e.subject_kind = 'statement' and e.document_id = dc.document_id
  and e.subject_id = dc.drawback_id || '--causedBy--' || dc.cause_id
where d.scale is not null and dc.document_id = 'nano-vs-micro'
order by d.scale, drawback, cause
