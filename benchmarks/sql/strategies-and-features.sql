-- Strategies with their features (asserted or inherited) and the causes each feature mitigates.
select s.label as strategy, fam.label as family, f.label as feature, c.label as mitigates
from edges as hf
join strategies as s on hf.source = 'strategy/' || s.id
join features as f on hf.target = 'feature/' || f.id
left join strategy_families as sf on sf.strategy_id = s.id
left join strategies as fam on fam.id = sf.family_id
left join feature_mitigates as fm on fm.feature_id = f.id
left join causes as c on c.id = fm.cause_id
where hf.relation = 'hasFeature'
order by strategy, feature, mitigates
