select
    event_id,
    try_to_timestamp(event_time) as event_time,
    date(try_to_timestamp(event_time)) as event_date,
    player_id,
    lower(event_name) as event_name,
    lower(platform) as platform,
    game_version,
    properties
from {{ source('raw', 'raw_game_events') }}
