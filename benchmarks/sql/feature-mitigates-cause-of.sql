-- Two hops from a strategy: its features (asserted or inherited), the causes they mitigate, and the
-- drawbacks those causes produce.
select f.label as feature, c.label as cause, d.label as drawback
from edges as hf
join features as f on hf.target = 'feature/' || f.id
join feature_mitigates as fm on fm.feature_id = f.id
join causes as c on c.id = fm.cause_id
join drawback_causes as dc on dc.cause_id = c.id
join drawbacks as d on d.id = dc.drawback_id
where hf.source = 'strategy/ant-nest-si' and hf.relation = 'hasFeature'
order by feature, cause, drawback
