-- Drawbacks of each particle scale, the causes they come from, and the quote that links the two.
select d.scale, d.label as drawback, c.label as cause, e.quote
from drawback_causes as dc
join drawbacks as d on d.id = dc.drawback_id
join causes as c on c.id = dc.cause_id
join evidence as e on e.subject_kind = 'statement' and e.subject_id = dc.id
where d.scale is not null
order by d.scale, drawback, cause
