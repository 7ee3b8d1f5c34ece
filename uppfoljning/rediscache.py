"""Django's Redis cache backend, made cheaper per call (settings: CACHES with REDIS_URL)."""

from django.core.cache.backends import redis as django_redis


class RedisCache(django_redis.RedisCache):
    """Django's RedisCache, with one redis-py client per connection pool instead of one
    per operation.

    Django builds a new redis.Redis object for every cache call; with redis-py 8 that
    object registers some 170 response callbacks, which takes about 0.2 ms: as much as the
    rest of serving a cached page. Connections, pools and everything else stay Django's.
    """

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _RedisClientReuse


class _RedisClientReuse(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client
