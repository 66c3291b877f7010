# The HTML5 game's texts, formatted by the server (src/http) in the player's language.
