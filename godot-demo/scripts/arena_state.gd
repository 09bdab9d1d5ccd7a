extends RefCounted
## What a client knows of the server's arena: the latest snapshots, kept to draw players smoothly between them,
## and the events. Fed with the server's packets (Variants from bytes_to_var); knows nothing of drawing or networking.

## How far behind the newest snapshot players are drawn, so there is usually a later snapshot to move towards.
const INTERPOLATION_DELAY_MS := 100
const MAX_SNAPSHOTS := 32

var my_id := 0
var arena_size := Vector2(960, 540)
var tick_rate := 30
var scores := {}
var snapshots_received := 0
## The most players one snapshot has shown.
var most_players := 0
var events: Array[String] = []
## Players whose connection dropped and whose seat the server holds, by id: drawn faded until they are back.
var away := {}
var _snapshots: Array = [] # of {"at": msec, "tick": int, "players": {id: Vector2}, "pickups": PackedVector2Array}


## Takes one message from the server; returns false if it is not one the arena game sends.
func receive(message: Variant, now_msec: int) -> bool:
	if typeof(message) != TYPE_DICTIONARY:
		return false
	match message.get("type", ""):
		"welcome":
			my_id = int(message.id)
			arena_size = message.arena
			tick_rate = int(message.tick_rate)
		"join":
			events.append("player %d joined" % int(message.id))
		"leave":
			events.append("player %d left" % int(message.id))
			scores.erase(int(message.id))
			away.erase(int(message.id))
		"away":
			away[int(message.id)] = true
		"back":
			away.erase(int(message.id))
		"score":
			scores[int(message.id)] = int(message.score)
		"snapshot":
			_add_snapshot(message, now_msec)
		_:
			return false
	return true


func _add_snapshot(message: Dictionary, now_msec: int) -> void:
	var players := {}
	for entry in message.players:
		players[int(entry[0])] = entry[1]
		scores[int(entry[0])] = int(entry[2])
	_snapshots.append({"at": now_msec, "tick": int(message.tick), "players": players, "pickups": message.pickups})
	most_players = maxi(most_players, players.size())
	if _snapshots.size() > MAX_SNAPSHOTS:
		_snapshots.pop_front()
	snapshots_received += 1


## Player positions as they should be drawn at `now_msec`: interpolated between the two snapshots around
## now - INTERPOLATION_DELAY_MS, or the newest one if none is later.
func positions(now_msec: int) -> Dictionary:
	if _snapshots.is_empty():
		return {}
	var render_at := now_msec - INTERPOLATION_DELAY_MS
	for i in range(_snapshots.size() - 1, 0, -1):
		var older: Dictionary = _snapshots[i - 1]
		var newer: Dictionary = _snapshots[i]
		if older.at <= render_at and render_at <= newer.at:
			var span := maxi(1, newer.at - older.at)
			var weight := float(render_at - older.at) / span
			var result := {}
			for id in newer.players:
				result[id] = older.players.get(id, newer.players[id]).lerp(newer.players[id], weight)
			return result
	return _snapshots[-1].players


func pickups() -> PackedVector2Array:
	return PackedVector2Array() if _snapshots.is_empty() else _snapshots[-1].pickups


func player_count() -> int:
	return 0 if _snapshots.is_empty() else _snapshots[-1].players.size()
