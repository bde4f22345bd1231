-- Snowflake SQL, as the course writes it: cast the RAW text, clean the codes.
select
    player_id,
    try_to_timestamp(first_seen_at) as first_seen_at,
    upper(country) as country,
    lower(language) as language,
    lower(difficulty_selected) as difficulty_selected,
    _batch_id as batch_id
from {{ source('raw', 'raw_players') }}
