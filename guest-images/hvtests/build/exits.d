build/exits.o: src/exits.S
