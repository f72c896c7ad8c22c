using System.Collections;

namespace Profiler.Profiles;

/// <summary>
/// A read-only copy of a list that compares by its elements. Records compare list properties by reference; storing
/// lists as this type gives the profile records value equality and makes them immune to later changes of the list
/// a caller passed in.
/// </summary>
internal sealed class ValueList<T> : IReadOnlyList<T>, IEquatable<ValueList<T>>
{
    private readonly T[] _items;

    private ValueList(T[] items) => _items = items;

    /// <summary>Copies <paramref name="items"/>, unless it already is an immutable <see cref="ValueList{T}"/>.</summary>
    public static ValueList<T> From(IEnumerable<T> items) => items as ValueList<T> ?? new ValueList<T>(items.ToArray());

    public T this[int index] => _items[index];

    public int Count => _items.Length;

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(ValueList<T>? other) => other is not null && _items.SequenceEqual(other._items);

    public override bool Equals(object? obj) => Equals(obj as ValueList<T>);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in _items) hash.Add(item);
        return hash.ToHashCode();
    }
}
