-- Claims of the article checked against Table 1
-- Each of the article's summary claims that names a property, compared with every Table 1 material that has
-- both a nano and a micro value: supports, contradicts, overlaps (the ranges meet) or insufficient. A "≥" or
-- "≤" bound is an open range, not a point.
select
  cc.claim_id,
  cl.label as claim,
  cc.material_id,
  mat.name as material,
  cc.property,
  cc.nano_min,
  cc.nano_max,
  cc.micro_min,
  cc.micro_max,
  cc.verdict,
  cc.note
from claim_checks cc
join claims cl on cl.id = cc.claim_id
left join materials mat on mat.id = cc.material_id
order by cc.claim_id, mat.name
