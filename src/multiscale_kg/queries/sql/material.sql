-- Everything about material :material
-- One material's facts in one list: its Table 1 and prose measurements, the strategies that use it, the
-- size-effect mechanisms it exemplifies and the claim checks it takes part in, each with its quote.
-- :material is an id (si), a name (silicon) or a formula (Si).
with chosen as (
  select id from materials
  where id = :material or lower(name) = lower(:material) or formula = :material
)
select 'measurement' as kind, ms.property || ' (' || ms.scale || ')' as about,
       case ms.qualifier when '=' then '' else ms.qualifier || ' ' end
       || case
            when ms.value_min is null then printf('%g', ms.value_max)
            when ms.value_max is null or ms.value_max = ms.value_min then printf('%g', ms.value_min)
            else printf('%g', ms.value_min) || '–' || printf('%g', ms.value_max)
          end
       || ' ' || coalesce(ms.unit, '') as detail,
       ms.source as source, ms.quote as quote, ms.id as ref_id
from measurements ms join chosen on ms.material_id = chosen.id
union all
select 'strategy', s.label, s.id, 'usesMaterial', sm.quote, sm.id
from strategy_materials sm join chosen on sm.material_id = chosen.id join strategies s on s.id = sm.strategy_id
union all
select 'mechanism', mech.label, mech.id, 'exemplifiedBy', mm.quote, mm.id
from mechanism_materials mm join chosen on mm.material_id = chosen.id
join mechanisms mech on mech.id = mm.mechanism_id
union all
select 'claim check', cc.claim_id, cc.verdict, cc.property, cc.note, cc.claim_id
from claim_checks cc join chosen on cc.material_id = chosen.id
order by kind, about
