-- How many measurements each property has at each scale (an aggregate over the whole table); measurements
-- with no scale (automatic ones) have no group, as in the SPARQL query.
select property, scale, count(*) as measurements
from measurements
where scale is not null
group by property, scale
order by property, scale
