"""What a query may call: the allow-lists of functions, types and SQL value functions.

Everything here is an *allow*-list. A name that is not listed is refused, so a function that a
future PostgreSQL release adds, or that an extension installs, is refused until someone reads it
and adds it on purpose. Names are stored lower-case; the walker lower-cases what pglast parsed.
"""

from __future__ import annotations

from pglast.enums import SQLValueFunctionOp

__all__ = [
    "ALLOWED_FUNCTIONS",
    "ALLOWED_SQL_VALUE_FUNCTIONS",
    "ALLOWED_TABLESAMPLE_METHODS",
    "ALLOWED_TYPES",
    "BUILTIN_SCHEMA",
    "EXTENSION_FUNCTIONS",
    "EXTENSION_SCHEMA",
    "EXTENSION_TYPES",
    "OPERATOR_SCHEMAS",
    "WALL_WITHHELD_TYPES",
]


def _names(words: str) -> frozenset[str]:
    return frozenset(words.split())


BUILTIN_SCHEMA = "pg_catalog"
# pgvector is installed in ``public``; only its own functions and types may be named there.
EXTENSION_SCHEMA = "public"
OPERATOR_SCHEMAS = frozenset({BUILTIN_SCHEMA, EXTENSION_SCHEMA})

_AGGREGATES = _names(
    """
    count sum avg min max any_value stddev stddev_pop stddev_samp variance var_pop var_samp
    bool_and bool_or every bit_and bit_or string_agg array_agg json_agg jsonb_agg
    json_object_agg jsonb_object_agg percentile_cont percentile_disc mode corr covar_pop
    covar_samp regr_avgx regr_avgy regr_count regr_intercept regr_r2 regr_slope regr_sxx
    regr_sxy regr_syy
    """
)

_WINDOW = _names(
    """
    row_number rank dense_rank percent_rank cume_dist ntile lag lead first_value last_value
    nth_value
    """
)

# now() and its synonyms are stable within the transaction; clock_timestamp() and timeofday()
# are left out because they only serve to time the query itself.
_DATE_TIME = _names(
    """
    date_trunc date_part extract date_bin age make_date make_time make_timestamp
    make_timestamptz make_interval to_char to_date to_timestamp now transaction_timestamp
    statement_timestamp justify_days justify_hours justify_interval isfinite timezone overlaps
    date_add date_subtract
    """
)

# random() draws a sample (ORDER BY random() LIMIT n); a cached result repeats the same sample for
# the cache's lifetime, as it repeats now(). setseed() stays refused: it changes session state that
# outlives the call on a pooled connection. factorial() is refused because factorial(100000) is an
# easy way to burn CPU for nothing.
_MATH = _names(
    """
    abs round ceil ceiling floor trunc sqrt cbrt power pow exp ln log log10 mod sign
    width_bucket div pi degrees radians scale gcd lcm num_nulls num_nonnulls random
    """
)

# repeat, lpad, rpad and format can build huge strings from a tiny query, so the walker also
# bounds their size arguments (see ``bounds``).
_STRING = _names(
    """
    length char_length character_length octet_length lower upper initcap btrim ltrim rtrim
    substring substr position strpos replace split_part concat concat_ws left right lpad rpad
    reverse repeat format regexp_replace regexp_match regexp_matches regexp_like regexp_count
    regexp_instr regexp_substr regexp_split_to_array regexp_split_to_table starts_with translate
    md5 to_number normalize is_normalized string_to_array string_to_table like_escape
    similar_to_escape overlay
    """
)

# Full-text search over the schema's tsvector column. Pure functions of their arguments. Refused:
# ts_stat and the text form of ts_rewrite run a SQL string (no rule of the check applies inside),
# ts_debug reads the catalogs, get_current_ts_config reads a setting.
_TEXT_SEARCH = _names(
    """
    to_tsvector to_tsquery plainto_tsquery phraseto_tsquery websearch_to_tsquery ts_rank
    ts_rank_cd ts_headline setweight strip numnode querytree tsvector_to_array
    array_to_tsvector ts_delete ts_filter tsquery_phrase
    """
)

_JSON = _names(
    """
    json_build_object jsonb_build_object json_build_array jsonb_build_array to_json to_jsonb
    row_to_json json_object jsonb_object json_array_elements json_array_elements_text
    jsonb_array_elements jsonb_array_elements_text json_each json_each_text jsonb_each
    jsonb_each_text json_object_keys jsonb_object_keys json_extract_path json_extract_path_text
    jsonb_extract_path jsonb_extract_path_text json_typeof jsonb_typeof json_array_length
    jsonb_array_length jsonb_pretty jsonb_strip_nulls json_to_record jsonb_to_record
    json_to_recordset jsonb_to_recordset jsonb_path_exists jsonb_path_match jsonb_path_query
    jsonb_path_query_array jsonb_path_query_first
    """
)

# Range and multirange constructors and accessors: pure functions of their arguments.
_RANGE = _names(
    """
    int4range int8range numrange daterange tsrange tstzrange int4multirange int8multirange
    nummultirange datemultirange tsmultirange tstzmultirange lower upper isempty lower_inc
    upper_inc lower_inf upper_inf range_merge range_agg range_intersect_agg multirange
    """
)

# Binary <-> text encodings (hex, base64, escape): pure.
_ENCODING = _names("encode decode")

_ARRAY = _names(
    """
    array_length array_lower array_upper cardinality unnest array_position array_positions
    array_to_string array_remove array_append array_prepend array_cat trim_array
    """
)

# Function-call spellings of casts that analysts use (``date(ts)``, ``numeric(x)``).
_CASTS = _names("date numeric text int4 int8 float8")

# generate_series is allowed only within bounds that ``bounds`` checks.
_SERIES = _names("generate_series")

EXTENSION_FUNCTIONS = _names(
    """
    cosine_distance l2_distance inner_product l1_distance vector_dims vector_norm l2_normalize
    subvector
    """
)

ALLOWED_FUNCTIONS = (
    _AGGREGATES
    | _WINDOW
    | _DATE_TIME
    | _MATH
    | _STRING
    | _TEXT_SEARCH
    | _RANGE
    | _ENCODING
    | _JSON
    | _ARRAY
    | _CASTS
    | _SERIES
    | EXTENSION_FUNCTIONS
)

EXTENSION_TYPES = _names("vector halfvec sparsevec")

# The types a query may name in a cast or a column definition: what an analyst needs, as pglast
# spells them (``int`` is ``int4``, ``double precision`` is ``float8``). An allow-list, so the
# catalog types (regclass and the other reg* types, aclitem, pg_lsn, pg_snapshot, oid...) and
# types whose input runs a lot of code (xml) are refused by construction. An array of an allowed
# type is allowed (``int[]``, or ``_int4`` spelled out).
ALLOWED_TYPES = _names(
    """
    int2 int4 int8 smallint integer int bigint numeric decimal float4 float8 real money
    text varchar bpchar char character
    date time timetz timestamp timestamptz interval
    bool boolean uuid json jsonb jsonpath bytea inet cidr macaddr macaddr8 bit varbit
    tsvector tsquery regconfig
    int4range int8range numrange daterange tsrange tstzrange
    int4multirange int8multirange nummultirange datemultirange tsmultirange tstzmultirange
    """
)

# The database wall (``adapters/sqlalchemy/privileges.py``) grants the functions behind operators,
# casts and text conversion for every type but these: the catalog-lookup types, whose input
# functions resolve names (``'…'::aclitem`` was a role-name oracle), and xml, whose input runs
# libxml. regconfig (``'english'::regconfig``) is the exception: it names a text search
# configuration, the same for every store and readable from no table. The walker refuses the
# withheld types anyway, since they are not in ALLOWED_TYPES (a unit test keeps the two lists
# apart). The wall cannot grant by ALLOWED_TYPES alone: the driver's own catalog queries compare
# ``oid`` and ``name`` values, types the model has no use for.
WALL_WITHHELD_TYPES = _names(
    """
    regclass regcollation regdictionary regnamespace regoper regoperator regproc
    regprocedure regrole regtype xml aclitem
    """
)

# CURRENT_USER, SESSION_USER, CURRENT_ROLE, CURRENT_CATALOG and CURRENT_SCHEMA answer questions
# about the connection, not about the business; they are reconnaissance, so only the clock is left.
ALLOWED_SQL_VALUE_FUNCTIONS = frozenset(
    {
        SQLValueFunctionOp.SVFOP_CURRENT_DATE,
        SQLValueFunctionOp.SVFOP_CURRENT_TIME,
        SQLValueFunctionOp.SVFOP_CURRENT_TIME_N,
        SQLValueFunctionOp.SVFOP_CURRENT_TIMESTAMP,
        SQLValueFunctionOp.SVFOP_CURRENT_TIMESTAMP_N,
        SQLValueFunctionOp.SVFOP_LOCALTIME,
        SQLValueFunctionOp.SVFOP_LOCALTIME_N,
        SQLValueFunctionOp.SVFOP_LOCALTIMESTAMP,
        SQLValueFunctionOp.SVFOP_LOCALTIMESTAMP_N,
    }
)

ALLOWED_TABLESAMPLE_METHODS = _names("bernoulli system")
