-- How many measurements each property has at each scale (an aggregate over the whole table).
select property, scale, count(*) as measurements
from measurements
group by property, scale
order by property, scale
