extends Node
## Starts the lobby screen (--screen browse|match opens that tab), or with the user argument --bot (after "--" on the
## command line, or ?bot in the page's address) a bot that plays without a keyboard and reports its results; bot.gd
## lists its arguments.

const Bot := preload("res://scripts/bot.gd")
const LobbyScreen := preload("res://scripts/lobby_screen.gd")


func _ready() -> void:
	var args := parse_args(OS.get_cmdline_user_args())
	if args.has("bot"):
		var bot := Bot.new()
		bot.name = "Bot" # the same path in every engine: remote calls find it by its path
		bot.configure(args)
		add_child(bot)
	else:
		add_child(LobbyScreen.new())


## "--key value" pairs and bare "--flag"s into a Dictionary (flags map to true).
static func parse_args(args: PackedStringArray) -> Dictionary:
	var parsed := {}
	var i := 0
	while i < args.size():
		var arg := args[i]
		if arg.begins_with("--"):
			var key := arg.substr(2)
			if i + 1 < args.size() and not args[i + 1].begins_with("--"):
				parsed[key] = args[i + 1]
				i += 1
			else:
				parsed[key] = true
		i += 1
	return parsed
