-- Measurements of a material (silicon here) in one document (here: the article): values, units and the quote
-- each value comes from.
select property, scale, value_min, value_max, qualifier, unit, unit_qudt, source, quote
from measurements
where material_id = 'si' and document_id = 'nano-vs-micro' and unit is not null and unit_qudt is not null
order by source, property, scale
