with sessions as (
    select
        player_id,
        count(*) as sessions,
        sum(session_seconds) as session_seconds,
        max(session_end) as last_session_end
    from {{ ref('stg_sessions') }}
    group by 1
),

events as (
    select
        player_id,
        count(*) as events,
        count_if(event_name = 'player_died') as deaths,
        count_if(event_name = 'chapter_completed') as chapters_completed,
        count(distinct event_date) as active_days
    from {{ ref('stg_game_events') }}
    group by 1
)

select
    p.player_id,
    p.country,
    p.difficulty_selected,
    p.batch_id,
    coalesce(s.sessions, 0) as sessions,
    coalesce(s.session_seconds, 0) as session_seconds,
    coalesce(e.events, 0) as events,
    coalesce(e.deaths, 0) as deaths,
    coalesce(e.chapters_completed, 0) as chapters_completed,
    e.active_days,
    datediff('day', p.first_seen_at, s.last_session_end) as days_from_first_seen_to_last_session,
    iff(coalesce(s.sessions, 0) > 1, 'returning', 'one-off') as player_type,
    coalesce(e.deaths, 0)::float / nullif(coalesce(e.events, 0), 0) as death_rate
from {{ ref('stg_players') }} as p
left join sessions as s using (player_id)
left join events as e using (player_id)
