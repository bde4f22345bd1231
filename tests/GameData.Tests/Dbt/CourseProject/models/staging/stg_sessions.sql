select
    session_id,
    player_id,
    try_to_timestamp(session_start) as session_start,
    try_to_timestamp(session_end) as session_end,
    lower(platform) as platform,
    datediff('second', try_to_timestamp(session_start), try_to_timestamp(session_end)) as session_seconds,
    datediff('minute', try_to_timestamp(session_start), try_to_timestamp(session_end)) as session_minutes
from {{ source('raw', 'raw_sessions') }}
