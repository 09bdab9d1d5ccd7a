extends Node
## Prints var_to_bytes of a table of values, then decodes the hex strings given as user arguments with
## bytes_to_var: Meshgate's Variant codec is checked against both directions of the real engine.


func _ready() -> void:
	var typed: Array[int] = [7]
	var values: Array = [null, true, 0, -1, 2147483648, 0.5, 1.0 / 3.0, "héllo", Vector2(1.5, -2), Vector2i(1, -2),
		Rect2(1, 2, 3, 4), Vector3(1, 2, 3), Vector3i(1, 2, 3), Color(0.1, 0.2, 0.3, 0.4), &"x", {"a": 1, 2: "b"},
		[1, "x", [true]], PackedByteArray([1, 2, 3]), PackedInt32Array([1, -2]), PackedInt64Array([1]),
		PackedFloat32Array([0.5]), PackedFloat64Array([0.5]), PackedStringArray(["a", "bc"]),
		PackedVector2Array([Vector2(1, 2)]), PackedVector3Array([Vector3(1, 2, 3)]),
		PackedColorArray([Color(1, 0, 0, 1)]), typed]
	for value in values:
		print("ENCODED|", var_to_bytes(value).hex_encode())
		print("ORIGINAL|", var_to_str(value).replace("\n", " "))
	for argument in OS.get_cmdline_user_args():
		print("DECODED|", var_to_str(bytes_to_var(argument.hex_decode())).replace("\n", " "))
	print("CHECK-DONE")
