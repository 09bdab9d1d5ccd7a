extends RefCounted
## What a player knows of the server's noughts and crosses (the bundled "tictactoe" game): its mark, the board, whose
## turn it is, and how the last game ended. Fed with the server's packets; knows nothing of drawing or networking.

## This player's mark, "x" or "o"; "" until the server seats it.
var mark := ""
## Nine cells row by row: 0 empty, 1 x, 2 o.
var board: Array[int] = [0, 0, 0, 0, 0, 0, 0, 0, 0]
## Whose move it is: "x", "o", or "" when no game is on.
var turn := ""
## The players' names by mark.
var players := {}
## "x", "o" or "draw" once a game ended; "" while one is on.
var winner := ""
## Why the server refused this player's last move, if it did.
var last_error := ""


## Whether [param message] is one of this game's: true for its "welcome", which carries a mark.
static func is_welcome(message: Variant) -> bool:
	return typeof(message) == TYPE_DICTIONARY and message.get("type", "") == "welcome" and message.has("mark")


## Takes one message from the server; returns false if it is not one this game sends.
func receive(message: Variant) -> bool:
	if typeof(message) != TYPE_DICTIONARY:
		return false
	match message.get("type", ""):
		"welcome":
			mark = str(message.get("mark", ""))
			winner = ""
		"state":
			var cells: Array = message.get("board", [])
			for i in mini(cells.size(), 9):
				board[i] = int(cells[i])
			turn = str(message.get("turn", ""))
			players = message.get("players", {})
			if not turn.is_empty():
				winner = ""
		"over":
			winner = str(message.get("winner", ""))
		"error":
			last_error = str(message.get("reason", ""))
		_:
			return false
	return true


## Whether it is this player's move.
func my_turn() -> bool:
	return not mark.is_empty() and turn == mark


## The free cells, 0..8.
func free_cells() -> Array[int]:
	var free: Array[int] = []
	for i in 9:
		if board[i] == 0:
			free.append(i)
	return free


## The message that plays [param cell].
static func move(cell: int) -> Dictionary:
	return {"move": cell}
