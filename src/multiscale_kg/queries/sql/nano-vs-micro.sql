-- Nano vs micro for :property, material by material
-- Table 1 side by side: each material's nanoparticle and microparticle value of one property, as printed
-- (qualifiers such as ≥ and ≤ kept) and as parsed bounds. :property is one of gravimetric_capacity,
-- volumetric_capacity, cycle_retention, rate_retention, first_cycle_ce, or its label or Table 1 heading
-- ("First cycle coulombic efficiency"; mskg_property, a function the site's plugin gives SQLite, reads it).
-- A nano value is paired with the micro value of the same Table 1 (its document), never across documents.
with cells as (
  select * from measurements where source = 'table1' and property = mskg_property(:property)
),
tables as (
  select distinct document_id, material_id from cells
)
select
  mat.id as material_id,
  mat.name as material,
  nano.quote as nano_printed,
  nano.qualifier as nano_qualifier,
  nano.value_min as nano_min,
  nano.value_max as nano_max,
  micro.quote as micro_printed,
  micro.qualifier as micro_qualifier,
  micro.value_min as micro_min,
  micro.value_max as micro_max,
  coalesce(nano.unit, micro.unit) as unit,
  nano.particle_size_text as nano_size,
  micro.particle_size_text as micro_size
from tables t
join materials mat on mat.id = t.material_id
left join cells nano on nano.material_id = t.material_id and nano.document_id = t.document_id
  and nano.scale = 'nano'
left join cells micro on micro.material_id = t.material_id and micro.document_id = t.document_id
  and micro.scale = 'micro'
where nano.id is not null or micro.id is not null
order by mat.name, t.document_id
