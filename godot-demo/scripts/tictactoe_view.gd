extends GridContainer
## Draws the server's noughts and crosses as a 3x3 grid of buttons; pressing a free cell on this player's turn sends
## the move to the server (peer 1), reliably. The status line says whose turn it is and how a game ended.

const TicTacToeState := preload("res://scripts/tictactoe_state.gd")
const MARKS := ["", "X", "O"]

var state := TicTacToeState.new()
var status := Label.new()
var _cells: Array[Button] = []
var _rematch := Button.new()


func _ready() -> void:
	columns = 3
	for i in 9:
		var cell := Button.new()
		cell.custom_minimum_size = Vector2(72, 72)
		cell.add_theme_font_size_override("font_size", 36)
		cell.pressed.connect(_play.bind(i))
		add_child(cell)
		_cells.append(cell)
	_rematch.text = "Rematch"
	_rematch.pressed.connect(func() -> void: _send({"rematch": true}))
	add_child(status)
	add_child(_rematch)
	_refresh()


## Takes a message from the server.
func receive(message: Variant) -> void:
	if state.receive(message):
		_refresh()


func _play(cell: int) -> void:
	if state.my_turn() and state.board[cell] == 0:
		_send(TicTacToeState.move(cell))


func _send(message: Dictionary) -> void:
	if multiplayer.get_peers().has(1):
		multiplayer.send_bytes(var_to_bytes(message), 1, MultiplayerPeer.TRANSFER_MODE_RELIABLE)


func _refresh() -> void:
	for i in 9:
		_cells[i].text = MARKS[state.board[i]]
		_cells[i].disabled = not state.my_turn() or state.board[i] != 0
	_rematch.visible = not state.winner.is_empty()
	if state.mark.is_empty():
		status.text = "Waiting for a seat"
	elif not state.winner.is_empty():
		status.text = "Draw" if state.winner == "draw" else ("You won" if state.winner == state.mark else "You lost")
	elif state.turn.is_empty():
		status.text = "You are %s; waiting for an opponent" % state.mark.to_upper()
	else:
		status.text = "Your move" if state.my_turn() else "Their move"
