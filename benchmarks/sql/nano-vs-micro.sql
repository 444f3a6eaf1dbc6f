-- Nano versus micro, side by side: each material's Table 1 values of each property at both scales, in one
-- document (here: the article); a nano value is paired with the micro value of the same Table 1.
select
  mat.name as material, n.property,
  n.value_min as nano_min, n.value_max as nano_max, n.qualifier as nano_qualifier,
  mi.value_min as micro_min, mi.value_max as micro_max, mi.qualifier as micro_qualifier,
  n.unit
from measurements as n
join measurements as mi
  on mi.material_id = n.material_id and mi.property = n.property and mi.document_id = n.document_id
  and mi.scale = 'micro' and mi.source = 'table1'
join materials as mat on mat.id = n.material_id
where n.scale = 'nano' and n.source = 'table1' and n.unit is not null and n.document_id = 'nano-vs-micro'
order by n.property, material
