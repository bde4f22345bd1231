using System.Numerics;

namespace GameData.Generation;

/// <summary>
/// A re-implementation of CPython's <c>random.Random</c> (MT19937 plus the primitives the
/// reference generator calls), so that the same seed gives the same draws as the course's
/// Python pipeline. Each method documents the CPython function it mirrors.
/// </summary>
public sealed class PythonRandom
{
    private const int N = 624;
    private const int M = 397;
    private readonly uint[] _state = new uint[N];
    private int _index = N;

    /// <summary>Seeds like <c>random.seed(n)</c> for an integer n: the key is |n| as 32-bit words, least significant first.</summary>
    public PythonRandom(BigInteger seed)
    {
        InitByArray(SeedKey(seed));
    }

    internal static uint[] SeedKey(BigInteger seed)
    {
        var magnitude = BigInteger.Abs(seed);
        if (magnitude.IsZero) return [0u];
        var words = new List<uint>();
        while (!magnitude.IsZero)
        {
            words.Add((uint)(magnitude & uint.MaxValue));
            magnitude >>= 32;
        }
        return [.. words];
    }

    private void InitGenrand(uint s)
    {
        _state[0] = s;
        for (var i = 1; i < N; i++)
            _state[i] = unchecked(1812433253u * (_state[i - 1] ^ (_state[i - 1] >> 30)) + (uint)i);
        _index = N;
    }

    private void InitByArray(uint[] key)
    {
        InitGenrand(19650218u);
        int i = 1, j = 0;
        unchecked
        {
            for (var k = Math.Max(N, key.Length); k > 0; k--)
            {
                _state[i] = (_state[i] ^ ((_state[i - 1] ^ (_state[i - 1] >> 30)) * 1664525u)) + key[j] + (uint)j;
                i++; j++;
                if (i >= N) { _state[0] = _state[N - 1]; i = 1; }
                if (j >= key.Length) j = 0;
            }
            for (var k = N - 1; k > 0; k--)
            {
                _state[i] = (_state[i] ^ ((_state[i - 1] ^ (_state[i - 1] >> 30)) * 1566083941u)) - (uint)i;
                i++;
                if (i >= N) { _state[0] = _state[N - 1]; i = 1; }
            }
        }
        _state[0] = 0x80000000u;
    }

    /// <summary>The next raw 32-bit output of the twister (<c>genrand_uint32</c>).</summary>
    public uint NextUInt32()
    {
        if (_index >= N) Twist();
        var y = _state[_index++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680u;
        y ^= (y << 15) & 0xefc60000u;
        y ^= y >> 18;
        return y;
    }

    private void Twist()
    {
        const uint upper = 0x80000000u, lower = 0x7fffffffu, matrixA = 0x9908b0dfu;
        int kk;
        uint y;
        for (kk = 0; kk < N - M; kk++)
        {
            y = (_state[kk] & upper) | (_state[kk + 1] & lower);
            _state[kk] = _state[kk + M] ^ (y >> 1) ^ ((y & 1u) * matrixA);
        }
        for (; kk < N - 1; kk++)
        {
            y = (_state[kk] & upper) | (_state[kk + 1] & lower);
            _state[kk] = _state[kk + (M - N)] ^ (y >> 1) ^ ((y & 1u) * matrixA);
        }
        y = (_state[N - 1] & upper) | (_state[0] & lower);
        _state[N - 1] = _state[M - 1] ^ (y >> 1) ^ ((y & 1u) * matrixA);
        _index = 0;
    }

    /// <summary><c>random()</c>: a double in [0, 1) built from 53 random bits.</summary>
    public double NextDouble()
    {
        var a = NextUInt32() >> 5;
        var b = NextUInt32() >> 6;
        return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
    }

    /// <summary><c>getrandbits(k)</c> for 1 &lt;= k &lt;= 64; words are filled least significant first, as CPython does.</summary>
    public ulong GetRandBits(int k)
    {
        if (k is < 1 or > 64) throw new ArgumentOutOfRangeException(nameof(k));
        if (k <= 32) return NextUInt32() >> (32 - k);
        ulong low = NextUInt32();
        ulong high = NextUInt32() >> (64 - k);
        return (high << 32) | low;
    }

    /// <summary><c>_randbelow(n)</c>: rejection sampling on <c>getrandbits(bit_length(n))</c>; n = 1 still draws.</summary>
    public long Below(long n)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), "n must be at least 1");
        var k = 64 - BitOperations.LeadingZeroCount((ulong)n);
        ulong r;
        do r = GetRandBits(k); while (r >= (ulong)n);
        return (long)r;
    }

    /// <summary><c>randint(a, b)</c>, both ends included.</summary>
    public long RandInt(long a, long b) => a + Below(b - a + 1);

    /// <summary><c>randint(a, b)</c> for small ranges, as an int.</summary>
    public int RandInt(int a, int b) => a + (int)Below((long)b - a + 1);

    /// <summary><c>choice(seq)</c>.</summary>
    public T Choice<T>(T[] items) => items[(int)Below(items.Length)];

    /// <summary><c>choices(values, weights)[0]</c> given the cumulative weights: bisect-right over all but the last sum.</summary>
    public int WeightedIndex(WeightTable table)
    {
        var cumulative = table.Cumulative;
        var x = NextDouble() * cumulative[^1];
        var last = cumulative.Length - 1;
        for (var i = 0; i < last; i++)
            if (x < cumulative[i]) return i;
        return last;
    }

    /// <summary><c>uniform(a, b)</c>.</summary>
    public double Uniform(double a, double b) => a + (b - a) * NextDouble();

    /// <summary><c>expovariate(lambd)</c>.</summary>
    public double ExpoVariate(double lambd) => -Math.Log(1.0 - NextDouble()) / lambd;
}

/// <summary>Weights as <c>random.choices</c> sees them: running sums in double precision, left to right.</summary>
public sealed class WeightTable
{
    public WeightTable(params double[] weights)
    {
        Cumulative = new double[weights.Length];
        var sum = 0.0;
        for (var i = 0; i < weights.Length; i++) Cumulative[i] = sum += weights[i];
    }

    public double[] Cumulative { get; }
}
